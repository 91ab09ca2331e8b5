/** Safe readers for untrusted JSON: each returns undefined instead of throwing on an unexpected shape. */

export type JsonObject = Record<string, unknown>;

export function obj(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A finite number, also from a numeric string or a protobuf Long (`{ low, high }`) as Baileys serialises it. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  const long = obj(value);
  if (long && typeof long.low === 'number' && typeof long.high === 'number') return long.high * 2 ** 32 + (long.low >>> 0);
  return undefined;
}

/**
 * A field read case-insensitively: engines spell the same protobuf field differently (Baileys `sourceId`,
 * whatsmeow `sourceID`; `ptt` and `PTT`).
 */
export function field(value: unknown, name: string): unknown {
  const o = obj(value);
  if (!o) return undefined;
  if (Object.hasOwn(o, name)) return o[name];
  const lower = name.toLowerCase();
  const key = Object.keys(o).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : o[key];
}

/** Follows a path of case-insensitive field names. */
export function path(value: unknown, ...names: string[]): unknown {
  return names.reduce<unknown>((current, name) => field(current, name), value);
}

export function firstStr(...values: unknown[]): string | undefined {
  for (const value of values) {
    const s = str(value);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** A row of a hand-written query, as `pg` returns it (snake_case columns). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SqlRow = Record<string, any>;

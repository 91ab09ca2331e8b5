import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** What the generated messages point at: ids of the seed's chats (chat n has contact n) and its one channel. */
export interface MessageSeedTarget {
  tenantId: string;
  projectId: string;
  channelId: string;
  chats: number;
  messages: number;
  chatId: (n: number) => string;
  contactId: (n: number) => string;
}

/** Share of all messages in the busiest chat, and in each of the next few busy ones. */
export const BUSIEST_SHARE = 0.1;
const BUSY_CHATS = 5;
const BUSY_SHARE = 0.01;
const ROWS_PER_CHUNK = 2000;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const TEXTS = [
  'Olá, tudo bem?',
  'Quero saber o preço',
  'Obrigado!',
  'Pode me enviar o boleto?',
  'Qual o prazo de entrega?',
  'Bom dia',
  'Segue o comprovante',
  'Ok, combinado',
  'Vocês entregam no sábado?',
  'Meu pedido ainda não chegou',
  'Perfeito, muito obrigado pela ajuda',
  'Consegue me ligar amanhã às 10h?',
];

/** A uniform value in [0, 1) from `n` and a salt: the seed is the same on every run. */
function hash(n: number, salt: number): number {
  let x = Math.imul(n ^ salt, 0x9e3779b1);
  x = Math.imul(x ^ (x >>> 15), 0x85ebca6b);
  x ^= x >>> 13;
  return (x >>> 0) / 4294967296;
}

/**
 * The chat of message `m`: a tenth of all messages in chat 1, 1 % in each of chats 2 to 6, the rest spread over the
 * others with a long tail (lower-numbered chats busier, as a few customers write much more than most).
 */
function chatOf(m: number, chats: number): number {
  const u = hash(m, 1);
  if (u < BUSIEST_SHARE || chats === 1) return 1;
  const busy = Math.min(BUSY_CHATS, chats - 1);
  if (u < BUSIEST_SHARE + busy * BUSY_SHARE) return 2 + Math.floor((u - BUSIEST_SHARE) / BUSY_SHARE);
  const rest = chats - 1 - busy;
  if (rest <= 0) return 1 + busy;
  const v = (u - BUSIEST_SHARE - busy * BUSY_SHARE) / (1 - BUSIEST_SHARE - busy * BUSY_SHARE);
  return 2 + busy + Math.floor(rest * v * v);
}

interface Generated {
  id: string;
  chat: number;
  outbound: boolean;
  type: string;
  text: string | null;
  media: string | null;
  status: string;
  waId: string;
  at: string;
}

/**
 * Message `m` of the seed: ids and times increase with `m` over the last year, a third outbound, mostly text with
 * some media, statuses as delivery reports leave them (most read, a few failed, a handful still pending).
 */
function message(m: number, t: MessageSeedTarget, start: number): Generated {
  const ms = start + Math.floor((m * YEAR_MS) / (t.messages + 1));
  const outbound = hash(m, 2) < 0.35;
  const r = hash(m, 3);
  const s = hash(m, 4);
  const type = r < 0.88 ? 'text' : r < 0.94 ? 'image' : r < 0.98 ? 'voice' : 'document';
  const waId = `3EB0${m.toString(16).toUpperCase().padStart(16, '0')}`;
  const media =
    type === 'text'
      ? null
      : `{"url": "https://media.example.com/${waId}", "mimetype": "${MIME[type]}"${type === 'document' ? ', "filename": "pedido.pdf"' : ''}}`;
  const status = !outbound
    ? s < 0.85
      ? 'read'
      : 'delivered'
    : s < 0.0005
      ? 'pending'
      : s < 0.02
        ? 'failed'
        : s < 0.1
          ? 'sent'
          : s < 0.3
            ? 'delivered'
            : 'read';
  return {
    id: uuid7At(ms, m),
    chat: chatOf(m, t.chats),
    outbound,
    type,
    text: type === 'text' || type === 'image' ? `${TEXTS[Math.floor(hash(m, 5) * TEXTS.length)]}` : null,
    media,
    status,
    waId,
    at: new Date(ms).toISOString(),
  };
}

const MIME: Record<string, string> = { image: 'image/jpeg', voice: 'audio/ogg; codecs=opus', document: 'application/pdf' };

/** A UUIDv7-shaped id at `ms`, unique by `n`. */
export function uuid7At(ms: number, n: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const r = n.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7000-8${r.slice(0, 3)}-${r.slice(3)}`;
}

const nul = (v: string | null) => v ?? '\\N';

/** Every generated row goes through one COPY, `ROWS_PER_CHUNK` at a time: memory stays flat whatever the count. */
async function copy(client: Client, into: string, count: number, line: (m: number) => string): Promise<void> {
  async function* chunks(): AsyncGenerator<string> {
    for (let m = 1; m <= count; m += ROWS_PER_CHUNK) {
      let chunk = '';
      for (let j = m; j < Math.min(count + 1, m + ROWS_PER_CHUNK); j++) chunk += line(j);
      yield chunk;
    }
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${into} FROM STDIN`)));
}

/**
 * Streams the messages into `messages`, then derives one timeline entry for each in `contact_events` on the server,
 * as the conversations consumer would have written them (ids and event ids tagged from the message's). The caller
 * runs it in a transaction of the tenant, as a role COPY may write to (PostgreSQL refuses COPY FROM into a table
 * under row-level security for a role it applies to).
 */
export async function copyMessages(client: Client, t: MessageSeedTarget, before: number): Promise<void> {
  const start = before - YEAR_MS;
  const common = `${t.tenantId}\t${t.projectId}`;
  await copy(
    client,
    `messages (id, tenant_id, project_id, chat_id, channel_id, contact_id, direction, type, text, media, status, external_id,
               wa_message_id, sent_at, created_at, updated_at)`,
    t.messages,
    (m) => {
      const g = message(m, t, start);
      const external = `${g.outbound}_${5511900000000 + g.chat}@c.us_${g.waId}`;
      return `${g.id}\t${common}\t${t.chatId(g.chat)}\t${t.channelId}\t${t.contactId(g.chat)}\t${g.outbound ? 'outbound' : 'inbound'}\t${g.type}\t${nul(g.text)}\t${nul(g.media)}\t${g.status}\t${external}\t${g.waId}\t${g.at}\t${g.at}\t${g.at}\n`;
    },
  );
  await client.query(
    `INSERT INTO contact_events (id, tenant_id, project_id, contact_id, event_id, event_type, category, title, payload, source,
                                 occurred_at, created_at)
     SELECT overlay(id::text placing '7001' from 15 for 4)::uuid, tenant_id, project_id, contact_id,
            overlay(id::text placing '7002' from 15 for 4)::uuid,
            CASE direction WHEN 'outbound' THEN 'message.recorded' ELSE 'message.received' END, 'messages',
            CASE direction WHEN 'outbound' THEN 'Message sent' ELSE 'Message received' END || coalesce(': ' || text, ''),
            jsonb_build_object('messageId', id, 'chatId', chat_id, 'type', type), 'channel', sent_at, sent_at
       FROM messages WHERE project_id = $1`,
    [t.projectId],
  );
}

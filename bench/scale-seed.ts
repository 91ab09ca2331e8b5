import { Client } from 'pg';
import { setAuditTriggers } from '#migrations/sql';
import { copyMessages, uuid7At } from './scale-messages';

export interface SeedSizes {
  contacts: number;
  /** Chats, each with a contact; the first ("busy") chat gets a tenth of the messages, the next five 1 % each. */
  chats: number;
  messages: number;
  /**
   * Profile entries on the busy contact's timeline (the first chat's); 19 times as many are spread over a thousand
   * others. Every message also has its timeline entry.
   */
  timeline: number;
}

export interface Seeded {
  busyContactId: string;
  busyChatId: string;
  /** Rows the busy chat and the busy contact's timeline hold. */
  busyChatMessages: number;
  busyContactEntries: number;
  /** A phone, an email and a name of contacts that exist, for fragments of `q`. */
  samples: { phone: string; email: string; name: string };
  /** Seconds spent on contacts and chats, and on messages with their timeline entries (and the profile entries). */
  seconds: { contacts: number; messages: number };
}

const FIRST = `ARRAY['Ana','Bruno','Carla','Diego','Elena','Fabio','Gabriela','Hugo','Isabel','João','Karina','Lucas','Mariana',
  'Nicolas','Olivia','Pedro','Quentin','Rafaela','Sofia','Tiago','Ursula','Vitor','Wanda','Xavier','Yara','Zeca','Maria','José',
  'Fernanda','Rodrigo','Juliana','Marcos','Patrícia','Ricardo','Camila','André','Beatriz','Felipe','Larissa','Gustavo']`;
const LAST = `ARRAY['Silva','Santos','Oliveira','Souza','Rodrigues','Ferreira','Alves','Pereira','Lima','Gomes','Costa','Ribeiro',
  'Martins','Carvalho','Almeida','Lopes','Soares','Fernandes','Vieira','Barbosa','Rocha','Dias','Nascimento','Andrade','Moreira',
  'Nunes','Marques','Machado','Mendes','Freitas','Cardoso','Ramos','Gonçalves','Santana','Teixeira','Moura','Correia','Pinto']`;
const DOMAINS = `ARRAY['gmail.com','hotmail.com','outlook.com','yahoo.com.br','uol.com.br','empresa.com.br','acme.io','example.org']`;
/** Tags with a skewed spread: `lead` on most, `vip` on one in a hundred, `churned` on one in ten thousand. */
const TAGS = `CASE WHEN i % 10000 = 7 THEN ARRAY['churned'] WHEN i % 100 = 3 THEN ARRAY['vip', 'lead'] WHEN i % 3 = 0
  THEN ARRAY['lead', 'newsletter'] WHEN i % 5 = 0 THEN ARRAY['customer'] ELSE ARRAY['lead'] END`;
const CUSTOM_FIELDS = `jsonb_build_object('plan', (ARRAY['free','basic','pro','enterprise'])[1 + (i * 7) % 4]
  || CASE WHEN i % 20000 = 11 THEN '-trial' ELSE '' END, 'city', (ARRAY['São Paulo','Rio de Janeiro','Belo Horizonte','Curitiba',
  'Porto Alegre','Recife','Salvador','Fortaleza','Manaus','Brasília'])[1 + (i * 13) % 10], 'score', (i * 31) % 100)`;

/**
 * Seeds one project of the tenant with contacts, chats, messages and timeline entries in one transaction per table,
 * as the owner under the tenant's setting: every constraint holds. Contacts, chats and profile entries are generated
 * by the server (no rows cross the wire); messages and their timeline entries are generated here and streamed
 * through COPY, which is how the bench seeds ten million of them in minutes with flat memory. The audit trigger is off for the seed only (its own transaction), so the figures that follow
 * measure reads, not a seeded audit trail. Ids are UUIDv7-shaped and increase with the row number, as the API's do.
 */
export async function seedProject(owner: Client, tenant: { tenantId: string; projectId: string }, sizes: SeedSizes): Promise<Seeded> {
  const inTenant = async <T>(work: () => Promise<T>): Promise<T> => {
    await owner.query('BEGIN');
    try {
      await owner.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant.tenantId]);
      const result = await work();
      await owner.query('COMMIT');
      return result;
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  };
  const sql = (text: string, params?: unknown[]) => inTenant(() => owner.query(text, params));
  const withoutAudit = <T>(table: string, work: () => Promise<T>) =>
    inTenant(async () => {
      await owner.query(setAuditTriggers(table, false));
      const result = await work();
      await owner.query(setAuditTriggers(table, true));
      return result;
    });
  // Sizes and ids are inlined as literals in the generating statements (numbers and uuids only).
  const t = `'${tenant.tenantId}'::uuid`;
  const p = `'${tenant.projectId}'::uuid`;
  // Every seeded id and timestamp lies in the past, one millisecond apart (messages: over the year before `base`).
  const base = Date.now() - (sizes.contacts + 20 * sizes.timeline) - 1000;
  const t0 = performance.now();
  await withoutAudit('contacts', () =>
    owner.query(`INSERT INTO contacts (id, tenant_id, project_id, name, email, phone, tags, custom_fields, created_at, updated_at)
     SELECT ${uuid7('i', base)}, ${t}, ${p}, f || ' ' || l, lower(${ascii('f')} || '.' || ${ascii('l')} || i) || '@' || d,
            '+55' || (11 + i % 80) || '9' || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0'), ${TAGS}, ${CUSTOM_FIELDS}, now(), now()
       FROM generate_series(1, ${sizes.contacts}) AS i,
            LATERAL (SELECT (${FIRST})[1 + i % 40] AS f, (${LAST})[1 + (i / 40) % 38] AS l, (${DOMAINS})[1 + i % 8] AS d) AS names`),
  );
  const channelId = uuid7Literal(base, 1);
  await sql(
    `INSERT INTO channels (id, tenant_id, project_id, name, type, webhook_token_hash) VALUES ($1, $2, $3, 'Seeded WhatsApp', 'waha', $4)`,
    [channelId, tenant.tenantId, tenant.projectId, `seed-${channelId}`],
  );
  // Chat n belongs to contact n (the oldest contacts), so the busy chat's contact is also the busy timeline's.
  await withoutAudit('chats', () =>
    owner.query(`INSERT INTO chats (id, tenant_id, project_id, channel_id, external_id, type, contact_id)
     SELECT ${uuid7('n', base + 1)}, ${t}, ${p}, '${channelId}', (5511900000000 + n) || '@c.us', 'direct', ${uuid7('n', base)}
       FROM generate_series(1, ${sizes.chats}) AS n`),
  );
  const t1 = performance.now();
  const target = { ...tenant, channelId, chats: sizes.chats, messages: sizes.messages };
  await withoutAudit('messages', () =>
    withIndexesBuiltAfter(owner, ['messages', 'contact_events'], () =>
      copyMessages(owner, { ...target, chatId: (n) => uuid7Literal(base + 1, n), contactId: (n) => uuid7Literal(base, n) }, base),
    ),
  );
  await sql(
    `INSERT INTO contact_events (id, tenant_id, project_id, contact_id, event_id, event_type, category, title, source, occurred_at)
     SELECT ${uuid7('e', base + sizes.contacts)}, ${t}, ${p}, CASE WHEN e % 20 = 0 THEN ${uuid7('1', base)} ELSE ${uuid7('2 + e % 1000', base)} END,
            gen_random_uuid(), 'contact.updated', 'profile', 'Profile updated', 'api', to_timestamp((${base} + ${sizes.contacts} + e) / 1000.0)
       FROM generate_series(1, ${sizes.timeline * 20}) AS e`,
  );
  await owner.query('ANALYZE contacts, chats, messages, contact_events');
  const t2 = performance.now();
  const busyContactId = uuid7Literal(base, 1);
  const busyChatId = uuid7Literal(base + 1, 1);
  const { rows } = await sql(
    `SELECT name, email, phone, (SELECT count(*)::int FROM messages WHERE chat_id = $1) AS chat_messages,
            (SELECT count(*)::int FROM contact_events WHERE contact_id = $2) AS contact_entries
       FROM contacts WHERE id = ${uuid7(String(Math.ceil(sizes.contacts / 2)), base)}`,
    [busyChatId, busyContactId],
  );
  const { name, email, phone, chat_messages, contact_entries } = rows[0] as Seeded['samples'] & Record<string, number>;
  return {
    busyContactId,
    busyChatId,
    busyChatMessages: chat_messages,
    busyContactEntries: contact_entries,
    samples: { name, email, phone },
    seconds: { contacts: (t1 - t0) / 1000, messages: (t2 - t1) / 1000 },
  };
}

/**
 * Runs `load` (in the caller's transaction) without the tables' plain indexes, then builds them again from their own
 * definitions: one sort per index instead of millions of insertions into it. Indexes behind constraints (primary
 * keys, unique keys) stay, so the load is checked as the application's writes are.
 */
async function withIndexesBuiltAfter(owner: Client, tables: string[], load: () => Promise<void>): Promise<void> {
  const { rows } = await owner.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const { name } of rows) await owner.query(`DROP INDEX ${name}`);
  await load();
  await owner.query(`SET LOCAL maintenance_work_mem = '512MB'`);
  for (const { definition } of rows) await owner.query(definition);
}

/**
 * A UUIDv7-shaped id (48-bit millisecond timestamp, version 7, variant bits) for row `n` at `base + n` ms: ids
 * increase with `n`, and the same `n` and `base` give the same id, so rows can point at each other's ids.
 */
function uuid7(n: string, base: number): string {
  return `(lpad(to_hex(${base}::bigint + (${n})), 12, '0') || '7000' || '8' || lpad(to_hex((${n})::bigint), 15, '0'))::uuid`;
}

const ascii = (column: string) => `translate(${column}, 'ãáâçéêíóôõúÃÁÂÇÉÊÍÓÔÕÚ', 'aaaceeiooouAAACEEIOOOU')`;

/** The id `uuid7(n, base)` gives, computed here. */
const uuid7Literal = (base: number, n: number) => uuid7At(base + n, n);

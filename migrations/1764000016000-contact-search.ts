import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, run, servicePolicy } from './sql';

/**
 * Contact search that can use its indexes under forced RLS, and the timeline in its keyset order.
 *
 * ILIKE and `@>` are not leakproof, so PostgreSQL evaluates them only after the tenant policy: as a filter over
 * every row of the tenant, never through the trigram and GIN indexes (a sequential scan of a million contacts for
 * each `q`). `contact_search` runs the same filters as the service role, which the policy lets past, bound to the
 * transaction's tenant setting: what the application role could read under RLS, and no more.
 */
export class ContactSearch1764000016000 implements MigrationInterface {
  name = 'ContactSearch1764000016000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      // GET /contacts/:id/timeline pages by id: this one serves it, where (occurred_at, id) would sort a busy contact.
      `CREATE INDEX idx_contact_events_contact_id ON contact_events (tenant_id, contact_id, id)`,
      ...servicePolicy('contacts'),
      // Ids of one keyset page, newest first, each filter only when given. A common filter finds its page among the
      // newest rows in keyset order; a rare one would walk the whole tenant that way, so past the newest 2,000 rows
      // the filters' own indexes find the rest (a materialized CTE keeps the planner off the keyset order).
      ...definerFunction(
        'contact_search(uuid, text, text, jsonb, boolean, uuid, integer)',
        `CREATE FUNCTION contact_search(p_project uuid, p_pattern text, p_tag text, p_custom_fields jsonb, p_deleted boolean,
                                        p_before uuid, p_limit integer)
         RETURNS SETOF uuid LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50 SET search_path = public, pg_temp AS $$
         DECLARE
           tenant uuid := nullif(current_setting('app.current_tenant_id', true), '')::uuid;
           scope text := 'tenant_id = $1 AND project_id = $2 AND deleted_at IS '
             || CASE WHEN p_deleted THEN 'NOT NULL' ELSE 'NULL' END
             || CASE WHEN p_before IS NULL THEN '' ELSE ' AND id < $6' END;
           matches text := 'true'
             || CASE WHEN p_pattern IS NULL THEN ''
                ELSE $q$ AND (coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')) ILIKE $3$q$ END
             || CASE WHEN p_tag IS NULL THEN '' ELSE ' AND tags @> ARRAY[$4]' END
             || CASE WHEN p_custom_fields IS NULL THEN '' ELSE ' AND custom_fields @> $5' END;
           newest integer := 2000;
           scanned integer := 0;
           found integer := 0;
           oldest uuid;
           r record;
         BEGIN
           IF tenant IS NULL THEN
             RETURN;
           END IF;
           FOR r IN EXECUTE 'SELECT id, (' || matches || ') IS TRUE AS hit FROM contacts WHERE ' || scope
                            || ' ORDER BY id DESC LIMIT ' || newest
               USING tenant, p_project, p_pattern, p_tag, p_custom_fields, p_before LOOP
             scanned := scanned + 1;
             oldest := r.id;
             IF r.hit THEN
               RETURN NEXT r.id;
               found := found + 1;
               IF found >= p_limit THEN
                 RETURN;
               END IF;
             END IF;
           END LOOP;
           IF scanned < newest THEN
             RETURN;
           END IF;
           RETURN QUERY EXECUTE 'WITH hits AS MATERIALIZED (SELECT id FROM contacts WHERE ' || scope || ' AND ' || matches
                                || ' AND id < $7) SELECT id FROM hits ORDER BY id DESC LIMIT $8'
             USING tenant, p_project, p_pattern, p_tag, p_custom_fields, p_before, oldest, p_limit - found;
         END
         $$`,
        'crm_app',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION contact_search(uuid, text, text, jsonb, boolean, uuid, integer)`,
      `REVOKE SELECT ON contacts FROM crm_service`,
      `DROP POLICY service_lookup ON contacts`,
      `DROP INDEX idx_contact_events_contact_id`,
    ]);
  }
}

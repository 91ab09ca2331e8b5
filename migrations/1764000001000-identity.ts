import { MigrationInterface, QueryRunner } from 'typeorm';
import { TENANT_PREDICATE, USER_PREDICATE, definerFunction, globalTable, run, servicePolicy, tenantTableWithoutAudit } from './sql';

/** Identity: tenants, users, billing accounts, projects, members and API keys. */
export class Identity1764000001000 implements MigrationInterface {
  name = 'Identity1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      // Foreign keys to tenant tables include tenant_id: a key check bypasses RLS, so a plain (project_id) key
      // would let one tenant reference (and detect) another tenant's project.
      `CREATE TABLE tenants (
        id uuid NOT NULL,
        name text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_tenants PRIMARY KEY (id)
      )`,
      // The tenant row is its own tenant: the policy compares its id.
      `ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE tenants FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON tenants USING (id = ${TENANT_PREDICATE}) WITH CHECK (id = ${TENANT_PREDICATE})`,
      `GRANT SELECT, INSERT, UPDATE ON tenants TO crm_app`,

      `CREATE TABLE users (
        id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        settings jsonb NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT ck_users_status CHECK (status IN ('active', 'suspended'))
      )`,
      `CREATE UNIQUE INDEX uq_users_email ON users (lower(email)) WHERE deleted_at IS NULL`,
      ...globalTable(
        'users',
        'a user is a global identity that joins projects of any tenant through project_members; RLS shows a user only to itself and to the tenants it is a member of',
      ),

      `CREATE TABLE billing_accounts (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        owner_user_id uuid NOT NULL,
        name text NOT NULL,
        billing_email text NOT NULL,
        payment_status text NOT NULL DEFAULT 'pending',
        payment_methods jsonb NOT NULL DEFAULT '[]',
        stripe_customer_id text,
        suspended boolean NOT NULL DEFAULT false,
        suspended_at timestamptz,
        suspension_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_billing_accounts PRIMARY KEY (id),
        CONSTRAINT uq_billing_accounts_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_billing_accounts_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT fk_billing_accounts_owner FOREIGN KEY (owner_user_id) REFERENCES users (id)
      )`,
      `CREATE INDEX idx_billing_accounts_tenant ON billing_accounts (tenant_id)`,
      ...tenantTableWithoutAudit('billing_accounts'),

      `CREATE TABLE projects (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        billing_account_id uuid NOT NULL,
        created_by uuid NOT NULL,
        name text NOT NULL,
        description text,
        configuration jsonb NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        session_timeout_minutes integer NOT NULL DEFAULT 30,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_projects PRIMARY KEY (id),
        CONSTRAINT uq_projects_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_projects_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT fk_projects_billing_account FOREIGN KEY (tenant_id, billing_account_id) REFERENCES billing_accounts (tenant_id, id),
        CONSTRAINT fk_projects_created_by FOREIGN KEY (created_by) REFERENCES users (id)
      )`,
      `CREATE UNIQUE INDEX uq_projects_tenant_name ON projects (tenant_id, lower(name)) WHERE deleted_at IS NULL`,
      ...tenantTableWithoutAudit('projects'),
      ...servicePolicy('projects'),

      `CREATE TABLE project_members (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        invited_by uuid,
        invited_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_project_members PRIMARY KEY (id),
        CONSTRAINT fk_project_members_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT fk_project_members_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_project_members_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_project_members_role CHECK (role IN ('admin', 'manager', 'user', 'readonly'))
      )`,
      `CREATE UNIQUE INDEX uq_project_members_project_user ON project_members (tenant_id, project_id, user_id) WHERE deleted_at IS NULL`,
      `CREATE INDEX idx_project_members_user ON project_members (user_id) WHERE deleted_at IS NULL`,
      ...tenantTableWithoutAudit('project_members'),
      ...servicePolicy('project_members'),

      // Users carry no tenant, but are still hidden: a session sees its own user (app.current_user_id) and the
      // members of its tenant (project_members is itself under the tenant policy), nobody else.
      `ALTER TABLE users ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE users FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY user_visibility ON users
         USING (id = ${USER_PREDICATE} OR EXISTS (SELECT 1 FROM project_members m WHERE m.user_id = users.id AND m.deleted_at IS NULL))
         WITH CHECK (id = ${USER_PREDICATE})`,
      ...servicePolicy('users'),

      // Revoked keys are deleted (secrets are destroyed, not soft-deleted); only a SHA-256 of the key is stored.
      `CREATE TABLE user_api_keys (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        user_id uuid NOT NULL,
        name text NOT NULL,
        key_prefix text NOT NULL,
        key_hash text NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_api_keys PRIMARY KEY (id),
        CONSTRAINT uq_user_api_keys_hash UNIQUE (key_hash),
        CONSTRAINT fk_user_api_keys_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_user_api_keys_user FOREIGN KEY (user_id) REFERENCES users (id)
      )`,
      `CREATE INDEX idx_user_api_keys_project ON user_api_keys (tenant_id, project_id, id)`,
      ...tenantTableWithoutAudit('user_api_keys', 'SELECT, INSERT, DELETE'),
      ...servicePolicy('user_api_keys', 'SELECT, UPDATE'),

      // Credential look-ups happen before the tenant is known: these return only what authentication needs.
      ...definerFunction(
        'auth_api_key(text)',
        `CREATE FUNCTION auth_api_key(p_key_hash text)
         RETURNS TABLE (key_id uuid, tenant_id uuid, project_id uuid, user_id uuid, role text)
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT k.id, k.tenant_id, k.project_id, k.user_id, m.role
             FROM user_api_keys k
             JOIN projects p ON p.id = k.project_id AND p.deleted_at IS NULL AND p.active
             JOIN project_members m ON m.project_id = k.project_id AND m.user_id = k.user_id AND m.deleted_at IS NULL
             JOIN users u ON u.id = k.user_id AND u.status = 'active' AND u.deleted_at IS NULL
            WHERE k.key_hash = p_key_hash AND (k.expires_at IS NULL OR k.expires_at > now())
         $$`,
        'crm_auth',
      ),
      ...definerFunction(
        'auth_touch_api_key(uuid)',
        `CREATE FUNCTION auth_touch_api_key(p_key_id uuid) RETURNS void
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           UPDATE user_api_keys SET last_used_at = now()
            WHERE id = p_key_id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
         $$`,
        'crm_auth',
      ),
      ...definerFunction(
        'auth_login(text)',
        `CREATE FUNCTION auth_login(p_email text)
         RETURNS TABLE (user_id uuid, password_hash text, status text)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT id, password_hash, status FROM users WHERE lower(email) = lower(p_email) AND deleted_at IS NULL
         $$`,
        'crm_auth',
      ),
      // Adding a member by email: only whether such a user exists, and its id.
      ...definerFunction(
        'auth_user_id(text)',
        `CREATE FUNCTION auth_user_id(p_email text) RETURNS uuid
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT id FROM users WHERE lower(email) = lower(p_email) AND deleted_at IS NULL
         $$`,
        'crm_auth',
      ),
      ...definerFunction(
        'auth_memberships(uuid)',
        `CREATE FUNCTION auth_memberships(p_user_id uuid)
         RETURNS TABLE (project_id uuid, tenant_id uuid, project_name text, role text)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT p.id, p.tenant_id, p.name, m.role
             FROM project_members m
             JOIN projects p ON p.id = m.project_id AND p.deleted_at IS NULL AND p.active
            WHERE m.user_id = p_user_id AND m.deleted_at IS NULL
            ORDER BY p.id
         $$`,
        'crm_auth',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP POLICY user_visibility ON users`,
      `DROP FUNCTION auth_memberships(uuid)`,
      `DROP FUNCTION auth_user_id(text)`,
      `DROP FUNCTION auth_login(text)`,
      `DROP FUNCTION auth_touch_api_key(uuid)`,
      `DROP FUNCTION auth_api_key(text)`,
      `DROP TABLE user_api_keys`,
      `DROP TABLE project_members`,
      `DROP TABLE projects`,
      `DROP TABLE billing_accounts`,
      `DROP TABLE users`,
      `DROP TABLE tenants`,
    ]);
  }
}

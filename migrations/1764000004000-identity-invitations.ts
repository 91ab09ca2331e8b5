import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, run, servicePolicy, tenantTable } from './sql';

/**
 * Identity, second step: project invitations (an admin invites an email; the user it belongs to accepts or
 * declines, from any tenant), versioned API keys (their revocation is a compare-and-swap delete), and password
 * hashes upgraded at sign-in.
 */
export class IdentityInvitations1764000004000 implements MigrationInterface {
  name = 'IdentityInvitations1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      // Invitations replace adding a member by email: nothing may ask any more whether an email is registered.
      `DROP FUNCTION auth_user_id(text)`,
      `ALTER TABLE user_api_keys ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`,

      // An invitation lives in the inviting tenant; the invitee reads theirs across tenants only through
      // auth_pending_invitations / auth_invitation_tenant below, keyed by their own user id (and so their email).
      `CREATE TABLE project_invitations (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        email text NOT NULL,
        role text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        invited_by uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        responded_by uuid,
        responded_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_project_invitations PRIMARY KEY (id),
        CONSTRAINT fk_project_invitations_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_project_invitations_invited_by FOREIGN KEY (invited_by) REFERENCES users (id),
        CONSTRAINT fk_project_invitations_responded_by FOREIGN KEY (responded_by) REFERENCES users (id),
        CONSTRAINT ck_project_invitations_role CHECK (role IN ('admin', 'manager', 'user', 'readonly')),
        CONSTRAINT ck_project_invitations_status CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'revoked')),
        CONSTRAINT ck_project_invitations_email CHECK (email = lower(email))
      )`,
      `CREATE UNIQUE INDEX uq_project_invitations_pending ON project_invitations (tenant_id, project_id, email) WHERE status = 'pending'`,
      `CREATE INDEX idx_project_invitations_email ON project_invitations (email) WHERE status = 'pending'`,
      ...tenantTable('project_invitations'),
      ...servicePolicy('project_invitations'),
      // The invitee is told which organisation invites them.
      ...servicePolicy('tenants'),

      ...definerFunction(
        'auth_pending_invitations(uuid)',
        `CREATE FUNCTION auth_pending_invitations(p_user_id uuid)
         RETURNS TABLE (id uuid, tenant_id uuid, tenant_name text, project_id uuid, project_name text, role text,
                        expires_at timestamptz, created_at timestamptz)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT i.id, i.tenant_id, t.name, i.project_id, p.name, i.role, i.expires_at, i.created_at
             FROM users u
             JOIN project_invitations i ON i.email = lower(u.email) AND i.status = 'pending' AND i.expires_at > now()
             JOIN projects p ON p.id = i.project_id AND p.deleted_at IS NULL
             JOIN tenants t ON t.id = i.tenant_id
            WHERE u.id = p_user_id AND u.deleted_at IS NULL
            ORDER BY i.id
         $$`,
        'crm_auth',
      ),
      // Accepting or declining: which tenant holds this invitation, if it is addressed to this user at all.
      ...definerFunction(
        'auth_invitation_tenant(uuid, uuid)',
        `CREATE FUNCTION auth_invitation_tenant(p_user_id uuid, p_invitation_id uuid) RETURNS uuid
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT i.tenant_id FROM users u JOIN project_invitations i ON i.email = lower(u.email)
            WHERE u.id = p_user_id AND u.deleted_at IS NULL AND i.id = p_invitation_id
         $$`,
        'crm_auth',
      ),

      // Sign-in rehashes a password stored at a lower cost: only that column, only from the hash it verified.
      `GRANT UPDATE (password_hash, updated_at) ON users TO crm_service`,
      ...definerFunction(
        'auth_upgrade_password_hash(uuid, text, text)',
        `CREATE FUNCTION auth_upgrade_password_hash(p_user_id uuid, p_old_hash text, p_new_hash text) RETURNS boolean
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           WITH changed AS (
             UPDATE users SET password_hash = p_new_hash, updated_at = now()
              WHERE id = p_user_id AND password_hash = p_old_hash AND deleted_at IS NULL RETURNING 1
           )
           SELECT EXISTS (SELECT 1 FROM changed)
         $$`,
        'crm_auth',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      ...definerFunction(
        'auth_user_id(text)',
        `CREATE FUNCTION auth_user_id(p_email text) RETURNS uuid
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT id FROM users WHERE lower(email) = lower(p_email) AND deleted_at IS NULL
         $$`,
        'crm_auth',
      ),
      `DROP FUNCTION auth_upgrade_password_hash(uuid, text, text)`,
      `REVOKE UPDATE (password_hash, updated_at) ON users FROM crm_service`,
      `DROP FUNCTION auth_invitation_tenant(uuid, uuid)`,
      `DROP FUNCTION auth_pending_invitations(uuid)`,
      `DROP POLICY service_lookup ON tenants`,
      `REVOKE SELECT ON tenants FROM crm_service`,
      `DROP TABLE project_invitations`,
      `ALTER TABLE user_api_keys DROP COLUMN updated_at, DROP COLUMN version`,
    ]);
  }
}

/** The application role's connection target (host, port, database, crm_app credentials). */
export const APP_DB_TARGET = Symbol('APP_DB_TARGET');

/**
 * Every TypeORM entity of every context, and which repository adapter persists it. `npm run db:audit` and the
 * migration test read this list; a new context adds its entities here.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: Function[] = [];

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const REPOSITORIES: { entity: Function; repository: string }[] = [];

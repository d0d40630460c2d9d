import { createApi, createNextRouteHandlers } from '@alignscope/schema';
import { getDb } from '../../../src/db';

export const dynamic = 'force-dynamic';

/**
 * The GraphQL API (packages/schema) at /api/graphql through Apollo's Next.js integration: POST for
 * queries and mutations, GET for queries and the local landing page.
 */
const handlers = createNextRouteHandlers(async () => createApi({ db: (await getDb()).db }));

export const GET = handlers.GET;
export const POST = handlers.POST;

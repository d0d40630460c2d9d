import { createApi, createNextRouteHandlers } from '@alignscope/schema';
import { getBoardCache } from '../../../src/board';
import { getDb } from '../../../src/db';

export const dynamic = 'force-dynamic';

/**
 * The GraphQL API (packages/schema) at /api/graphql through Apollo's Next.js integration: POST for
 * queries and mutations, GET for queries and the local landing page. It answers from the same board
 * cache as the pages, so both show one data version, and its writes refresh the pages' board too.
 */
const handlers = createNextRouteHandlers(async () =>
  createApi({ db: (await getDb()).db, board: await getBoardCache() }),
);

export const GET = handlers.GET;
export const POST = handlers.POST;

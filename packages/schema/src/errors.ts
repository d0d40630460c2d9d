import { GraphQLError } from 'graphql';

/** A client error in a query's arguments (bad cursor, page size, unknown identifier...). */
export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

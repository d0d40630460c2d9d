/**
 * Validation rules that protect the public endpoint: query depth, number of aliases and an estimated
 * cost (composite fields weighted by the page sizes they are nested in). Introspection fields
 * (`__schema`, `__type`) are exempt so that tools can read the schema.
 */
import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  valueFromASTUntyped,
} from 'graphql';

export type Limits = {
  /** Deepest field nesting (the root field is depth 1). */
  maxDepth: number;
  /** Aliased fields in a document, fragments included. */
  maxAliases: number;
  /**
   * Estimated cost: every object or list field costs 1 times the page sizes it is nested in (a
   * connection's `first` multiplies what sits under its edges; other lists count `listSizes`). A
   * plain page (a list of objects with `first`, not a connection) costs its page size, one per item,
   * and multiplies what sits under it.
   */
  maxCost: number;
};

export const defaultLimits: Limits = { maxDepth: 12, maxAliases: 50, maxCost: 25_000 };

/** Assumed length of list fields that take no `first` argument (Type.field); unknown lists count 20. */
export const listSizes: Record<string, number> = {
  'Query.benchmarks': 10,
  'Query.correlations': 150,
  'Query.scatter': 1000,
  'Model.scores': 50,
  'Model.robustness': 12,
  'Benchmark.children': 10,
  'LeaderboardConnection.columns': 10,
  'LeaderboardRow.children': 10,
  'SubmitResultsPayload.scores': 500,
  'EvaluationRequest.benchmarks': 200,
};
const DEFAULT_LIST_SIZE = 20;
/** The largest page a connection returns (`first` <= 100). */
export const MAX_PAGE = 100;
/** Fields whose `first` may exceed MAX_PAGE (Type.field: the largest `first` the resolver accepts). */
export const pageCaps: Record<string, number> = {
  'Query.changes': 1000,
  'Study.jobs': 1000,
};

function limitError(code: string, message: string, node: FieldNode | undefined, extra: object): GraphQLError {
  // Apollo reports validation errors as GRAPHQL_VALIDATION_FAILED; formatError restores `limit`.
  return new GraphQLError(message, { nodes: node ? [node] : [], extensions: { limit: code, ...extra } });
}

type Walk = { depth: number; cost: number; deepest: FieldNode | undefined };

/** Depth and cost of every operation in one pass; aliases counted over the whole document. */
export function createLimitsRule(limits: Limits = defaultLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    }
    const variables = new Map<string, unknown>();

    const pageSize = (parent: GraphQLNamedType, field: FieldNode, def: GraphQLField<unknown, unknown>) => {
      const arg = field.arguments?.find((a) => a.name.value === 'first');
      if (arg) {
        const cap = pageCaps[`${parent.name}.${def.name}`] ?? MAX_PAGE;
        // Variables are not known during validation: their default, else the page-size cap.
        const v =
          arg.value.kind === Kind.VARIABLE
            ? (variables.get(arg.value.name.value) ?? cap)
            : valueFromASTUntyped(arg.value);
        if (typeof v === 'number' && Number.isFinite(v)) return Math.min(cap, Math.max(1, v));
      }
      const firstDef = def.args.find((a) => a.name === 'first');
      if (firstDef)
        return typeof firstDef.defaultValue === 'number' ? Math.max(1, firstDef.defaultValue) : 100;
      if (isListType(getNullableType(def.type)))
        return listSizes[`${parent.name}.${def.name}`] ?? DEFAULT_LIST_SIZE;
      return 1;
    };

    /**
     * `page`: the page size of the connection whose fields are being walked; it multiplies what sits
     * under `edges` / `nodes` (not the connection's other fields such as totalCount or columns).
     */
    const walk = (
      type: GraphQLNamedType,
      set: SelectionSetNode,
      depth: number,
      multiplier: number,
      page: number | undefined,
      seen: Set<string>,
      acc: Walk,
    ) => {
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.name.value;
          if (name.startsWith('__')) continue;
          if (depth > acc.depth) {
            acc.depth = depth;
            acc.deepest = sel;
          }
          if (!(isObjectType(type) || isInterfaceType(type))) continue;
          const def = type.getFields()[name];
          if (!def) continue;
          const child = getNamedType(def.type);
          if (!isCompositeType(child) || !sel.selectionSet) continue;
          const isPageField = def.args.some((a) => a.name === 'first');
          const isList = isListType(getNullableType(def.type));
          let childMultiplier = multiplier;
          let childPage: number | undefined;
          if (isPageField && isList) {
            // A plain page (a list with `first`): each item it may return costs 1, as a connection's
            // `node` does, and multiplies what sits under it.
            childMultiplier *= pageSize(type, sel, def);
            acc.cost += childMultiplier;
          } else {
            acc.cost += multiplier;
            if (isPageField) childPage = pageSize(type, sel, def);
            else if (page !== undefined && (name === 'edges' || name === 'nodes')) childMultiplier *= page;
            else if (isList) childMultiplier *= pageSize(type, sel, def);
          }
          walk(child, sel.selectionSet, depth + 1, childMultiplier, childPage, seen, acc);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const cond = sel.typeCondition ? context.getSchema().getType(sel.typeCondition.name.value) : type;
          walk(cond ?? type, sel.selectionSet, depth, multiplier, page, seen, acc);
        } else {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(frag.name.value)) continue; // cycles are reported by NoFragmentCycles
          const cond = context.getSchema().getType(frag.typeCondition.name.value) ?? type;
          walk(cond, frag.selectionSet, depth, multiplier, page, new Set([...seen, frag.name.value]), acc);
        }
      }
    };

    let aliases = 0;
    let aliasReported = false;
    return {
      Field(node) {
        if (!node.alias || aliasReported) return;
        aliases += 1;
        if (aliases > limits.maxAliases) {
          aliasReported = true;
          context.reportError(
            limitError(
              'TOO_MANY_ALIASES',
              `too many aliases: more than ${limits.maxAliases} in one document`,
              node,
              {
                max: limits.maxAliases,
              },
            ),
          );
        }
      },
      OperationDefinition: {
        enter(op) {
          variables.clear();
          for (const v of op.variableDefinitions ?? []) {
            if (v.defaultValue) variables.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
          }
          const root =
            op.operation === 'query'
              ? context.getSchema().getQueryType()
              : op.operation === 'mutation'
                ? context.getSchema().getMutationType()
                : context.getSchema().getSubscriptionType();
          if (!root) return;
          const acc: Walk = { depth: 0, cost: 0, deepest: undefined };
          walk(root, op.selectionSet, 1, 1, undefined, new Set(), acc);
          if (acc.depth > limits.maxDepth) {
            context.reportError(
              limitError(
                'QUERY_TOO_DEEP',
                `query too deep: depth ${acc.depth} exceeds the maximum of ${limits.maxDepth}`,
                acc.deepest,
                { max: limits.maxDepth, actual: acc.depth },
              ),
            );
          }
          if (acc.cost > limits.maxCost) {
            context.reportError(
              limitError(
                'QUERY_TOO_COMPLEX',
                `query too complex: estimated cost ${acc.cost} exceeds the maximum of ${limits.maxCost} (request smaller pages)`,
                undefined,
                { max: limits.maxCost, actual: acc.cost },
              ),
            );
          }
        },
      },
    };
  };
}

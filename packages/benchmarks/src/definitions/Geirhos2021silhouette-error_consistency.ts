import { errorConsistency } from '../families.ts';

export default errorConsistency('silhouette', 'silhouette');

import { errorConsistency } from '../families.ts';

export default errorConsistency('edge', 'edge');

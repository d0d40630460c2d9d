import { errorConsistency } from '../families.ts';

export default errorConsistency('cueconflict', 'cue-conflict');

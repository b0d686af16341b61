export {
  formatDetails,
  formatList,
  formatReplay,
  formatReplayAll,
  formatReplayAllRefused,
} from './format-dead-letters';
export { type Field, formatFields } from './format-fields';
export { formatColumns, formatTable, printable, truncate } from './format-table';

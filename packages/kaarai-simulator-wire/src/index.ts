export {
  type SimulatorFaultsView,
  type SimulatorFaultUpdate,
  simulatorFaultUpdateSchema,
} from './fault-update';
export type { SimulatorMessage, SimulatorMessageList, SimulatorStats } from './record-views';
export {
  type SimulatorSettingsUpdate,
  type SimulatorSettingsView,
  simulatorSettingsUpdateSchema,
} from './settings-update';

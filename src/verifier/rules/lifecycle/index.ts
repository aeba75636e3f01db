/** The lifecycle family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';
import {
  NdisMSetMiniportAttributes_Context,
  NdisMSetMiniportAttributes_HardwareAssist,
  NdisMSetMiniportAttributes_Header,
  NdisMSetMiniportAttributes_Order,
} from './attributes.js';
import {
  MiniportInitializeEx_Return,
  MiniportPause_Return,
  MiniportRestart_Return,
} from './callback-return.js';
import { NdisMRegisterMiniportDriver_Characteristics } from './characteristics.js';
import { NdisMDeregisterMiniportDriver_Required } from './deregister.js';
import { MiniportInitializeEx_Attributes } from './initialize-attributes.js';
import { NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION } from './state-transition.js';
import { NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED } from './unload.js';
import { NDIS_BUGCHECK_WATCHDOG } from './watchdog.js';

export const LIFECYCLE_RULES: readonly RuleDef[] = [
  NdisMRegisterMiniportDriver_Characteristics,
  NdisMDeregisterMiniportDriver_Required,
  NdisMSetMiniportAttributes_Header,
  NdisMSetMiniportAttributes_Order,
  NdisMSetMiniportAttributes_Context,
  NdisMSetMiniportAttributes_HardwareAssist,
  MiniportInitializeEx_Return,
  MiniportInitializeEx_Attributes,
  MiniportPause_Return,
  MiniportRestart_Return,
  NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION,
  NDIS_BUGCHECK_WATCHDOG,
  NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED,
];

/** The ports family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';
import {
  NdisMAllocatePort_BeforeAttributes,
  NdisMAllocatePort_DuringHalt,
  NdisMAllocatePort_InvalidCharacteristics,
} from './allocate.js';
import { NdisMFreePort_ActivePort, NdisMFreePort_DefaultPort } from './free.js';
import { DefaultPort_ActiveAtHalt, Leak_Port } from './leak.js';
import { NdisMNetPnPEvent_InvalidNotification } from './notification.js';
import { NdisMNetPnPEventInOIDRequest, NdisOidDoubleComplete } from './oid-request.js';

export const PORTS_RULES: readonly RuleDef[] = [
  NdisMAllocatePort_InvalidCharacteristics,
  NdisMAllocatePort_BeforeAttributes,
  NdisMAllocatePort_DuringHalt,
  NdisMFreePort_DefaultPort,
  NdisMFreePort_ActivePort,
  NdisMNetPnPEvent_InvalidNotification,
  NdisMNetPnPEventInOIDRequest,
  NdisOidDoubleComplete,
  Leak_Port,
  DefaultPort_ActiveAtHalt,
];

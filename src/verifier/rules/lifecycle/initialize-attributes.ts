/**
 * MiniportInitializeEx_Attributes: a MiniportInitializeEx that returns NDIS_STATUS_SUCCESS has set
 * registration attributes and general attributes. D36: NDIS then halts the adapter with
 * NdisHaltDeviceInitializationFailed.
 */
import { NDIS_STATUS_SUCCESS } from '../../../ndis/constants.js';
import { NETWORK, rule } from '../../rule.js';
import { isOneOf } from './describe.js';

export const MiniportInitializeEx_Attributes = rule({
  id: 'MiniportInitializeEx_Attributes',
  title:
    'A MiniportInitializeEx that returns NDIS_STATUS_SUCCESS has set registration attributes and general attributes.',
  link: `${NETWORK}initializing-a-miniport-adapter`,
  severity: 'error',
  observe: {
    lifecycleReturn(v, e) {
      if (e.callback !== 'MiniportInitializeEx' || !isOneOf(e.status, [NDIS_STATUS_SUCCESS])) return;
      const missing: string[] = [];
      if (!e.adapter.registrationAttributesSet) missing.push('registration attributes');
      if (!e.adapter.generalAttributesSet) missing.push('general attributes');
      if (missing.length === 0) return;
      v.report(
        MiniportInitializeEx_Attributes,
        `MiniportInitializeEx returned NDIS_STATUS_SUCCESS without setting ${missing.join(' or ')} with NdisMSetMiniportAttributes; NDIS halts the adapter with NdisHaltDeviceInitializationFailed.`,
        { ddi: 'MiniportInitializeEx', args: { Status: 'NDIS_STATUS_SUCCESS' }, owner: e.adapter },
      );
    },
  },
});

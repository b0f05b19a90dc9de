import { UserStatus } from '../../shared/enums';
import type { KillSwitchService } from './kill-switch.service';
import { refuse, type Refusal } from './refusal';

// Sources whose EXIT can only flatten a position (see square-off.service.ts, position-close.service.ts)
const REDUCES_ONLY = new Set(['square_off', 'close', 'exit']);

// Whether an execution may send a new order at all, before its route and plan are looked at: the kill switch halts new
// orders, and a disabled account's alerts are not traded. Square-off and a trader's close only reduce risk, so they
// run even then. The lone attempt refuses the execution with the answer; the batch run leaves such an execution to
// it. One gate for both, so a rule added here holds for either.
export async function newOrderRefusal(
  execution: { source: string },
  strategy: { userStatus?: UserStatus },
  killSwitch: Pick<KillSwitchService, 'isOn'>,
): Promise<Refusal | null> {
  if (REDUCES_ONLY.has(execution.source)) return null;
  if (await killSwitch.isOn()) return refuse('kill_switch', 'the kill switch is on');
  if (strategy.userStatus === UserStatus.DISABLED)
    return refuse('account_disabled', 'this account is disabled; alerts are not traded');
  return null;
}

import type { BotActions } from '../modules/notifications/telegram/bot-commands';
import type { Services } from './services';
import { decideApproval } from '../modules/executions/approval/approval-decision';

// What the Telegram bot's commands do, through the same services as the GraphQL mutations
export function botActions(services: Services): BotActions {
  return {
    async setStrategyEnabled(em, user, strategyId, enabled) {
      await services.strategies.toggle(em, user, strategyId, enabled);
    },
    flatten: (userId, strategyId, key) => services.manualExits.flatten(userId, strategyId, key, 'telegram'),
    async setKillSwitch(em, user, enabled) {
      await services.killSwitchControl.set(em, user, enabled, 'telegram');
    },
    killSwitchOn: () => services.killSwitch.isOn(),
    decideApproval: (userId, executionId, action) => decideApproval(services.approvals, userId, executionId, action),
  };
}

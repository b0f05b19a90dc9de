import { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service';
import { User } from '../users/user.entity';
import { alertMessageFor, pineSnippetFor } from './alert-template';
import { Deployment, DeploymentPreview } from './deployment.types';
import type { Strategy } from './strategy.entity';
import { StrategyService } from './strategy.service';
import { webhookUrlWarning } from './webhook-url-check';
import { hashWebhookSecret, newWebhookSecret } from './webhook-secret';

// Stands in for the secret when a message is shown again: only its hash is stored
export const MASKED_SECRET = 'whsec_********';

export class DeploymentService {
  constructor(
    private readonly strategies: StrategyService,
    private readonly publicBaseUrl: string,
  ) {}

  // Issues a fresh secret each time: deploying again rotates it and the old one stops working at once.
  async deploy(em: EntityManager, user: User, id: string): Promise<Deployment> {
    // A fan-out target has no webhook of its own: it trades its strategy's alerts
    const strategy = await this.strategies.getOwnToChange(em, user, id);
    const secret = newWebhookSecret();
    strategy.webhookSecretHash = hashWebhookSecret(secret);
    strategy.deployedAt = new Date();
    audit(em, { actor: user, action: 'strategy.deploy', entityType: 'strategy', entityId: strategy.id });
    await em.flush();
    return {
      webhookUrl: this.webhookUrl(),
      webhookSecret: secret,
      alertMessage: alertMessageFor(strategy, secret),
      pineSnippet: pineSnippetFor(strategy, secret),
      webhookUrlWarning: webhookUrlWarning(this.publicBaseUrl),
    };
  }

  // What can be shown again after the deploy answer: everything but the secret; null when never deployed
  preview(strategy: Strategy): DeploymentPreview | null {
    if (!strategy.deployedAt || !strategy.webhookSecretHash) return null;
    return {
      deployedAt: strategy.deployedAt,
      webhookUrl: this.webhookUrl(),
      webhookUrlWarning: webhookUrlWarning(this.publicBaseUrl),
      alertMessage: alertMessageFor(strategy, MASKED_SECRET),
      pineSnippet: pineSnippetFor(strategy, MASKED_SECRET),
    };
  }

  private webhookUrl(): string {
    return `${this.publicBaseUrl.replace(/\/$/, '')}/api/webhook/tradingview`;
  }
}

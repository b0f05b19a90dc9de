import { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service';
import { User } from '../users/user.entity';
import { alertMessageFor, pineSnippetFor } from './alert-template';
import { Deployment } from './deployment.types';
import { StrategyService } from './strategy.service';
import { hashWebhookSecret, newWebhookSecret } from './webhook-secret';

export class DeploymentService {
  constructor(private readonly strategies: StrategyService, private readonly publicBaseUrl: string) {}

  // Issues a fresh secret each time: deploying again rotates it and the old one stops working at once.
  async deploy(em: EntityManager, user: User, id: string): Promise<Deployment> {
    const strategy = await this.strategies.getToChange(em, user, id);
    const secret = newWebhookSecret();
    strategy.webhookSecretHash = hashWebhookSecret(secret);
    strategy.deployedAt = new Date();
    audit(em, { actor: user, action: 'strategy.deploy', entityType: 'strategy', entityId: strategy.id });
    await em.flush();
    return {
      webhookUrl: `${this.publicBaseUrl.replace(/\/$/, '')}/api/webhook/tradingview`,
      webhookSecret: secret,
      alertMessage: alertMessageFor(strategy, secret),
      pineSnippet: pineSnippetFor(strategy, secret),
    };
  }
}

import type { AppConfig } from '../config/env.schema';
import type { AppPubSub } from '../graphql/pubsub';
import { AuthService } from '../modules/auth/auth.service';
import { BrokerRegistry } from '../modules/brokers/plugin-registry';
import { LoginRateLimiter } from '../modules/auth/login-rate-limiter';
import { StrategyService } from '../modules/strategies/strategy.service';
import { UserService } from '../modules/users/user.service';

// The service graph, built once per process and handed to resolvers and routes through their context.
export type Services = {
  config: AppConfig;
  pubSub: AppPubSub;
  auth: AuthService;
  users: UserService;
  strategies: StrategyService;
  brokers: BrokerRegistry;
};

export function createServices(config: AppConfig, pubSub: AppPubSub, brokers: BrokerRegistry): Services {
  const loginLimiter = new LoginRateLimiter({
    perEmail: config.LOGIN_MAX_PER_EMAIL, perIp: config.LOGIN_MAX_PER_IP, windowSeconds: config.LOGIN_WINDOW_SECONDS,
  });
  return {
    config, pubSub,
    auth: new AuthService(config, loginLimiter),
    users: new UserService(),
    strategies: new StrategyService(),
    brokers,
  };
}

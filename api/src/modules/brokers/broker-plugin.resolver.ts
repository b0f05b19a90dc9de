import { BrokerManifest } from '@algodatta/broker-sdk';
import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { BrokerPluginInfo } from './broker-plugin.types';

export function toPluginInfo(m: BrokerManifest): BrokerPluginInfo {
  const { orderUpdates, ...methods } = m.has;
  return {
    name: m.name, displayName: m.displayName, version: m.version, contractVersion: m.contractVersion,
    requiredCredentials: [...m.requiredCredentials],
    capabilities: { ...methods, orderUpdates: orderUpdates === false ? 'none' : orderUpdates },
    features: {
      orderTypes: [...m.features.orderTypes], validities: [...m.features.validities], products: [...m.features.products],
      segments: [...m.features.segments], modifyPrice: m.features.modify.price, modifyQuantity: m.features.modify.quantity,
      modifyTrigger: m.features.modify.trigger,
    },
  };
}

@Resolver()
export class BrokerPluginResolver {
  @Authorized()
  @Query(() => [BrokerPluginInfo], { description: 'Loaded broker plugins and their capabilities' })
  brokers(@Ctx() ctx: GraphQLContext): BrokerPluginInfo[] {
    return ctx.services.brokers.manifests().map(toPluginInfo);
  }
}

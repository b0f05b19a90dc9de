import { acceptsWebhooks, BrokerManifest } from '@algodatta/broker-sdk';
import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { BrokerPluginInfo } from './broker-plugin.types';

export function toPluginInfo(m: BrokerManifest): BrokerPluginInfo {
  const h = m.has;
  return {
    name: m.name,
    displayName: m.displayName,
    version: m.version,
    contractVersion: m.contractVersion,
    requiredCredentials: [...m.requiredCredentials],
    capabilities: {
      placeOrder: h.placeOrder,
      cancelOrder: h.cancelOrder,
      modifyOrder: h.modifyOrder,
      getOrder: h.getOrder,
      listOrders: h.listOrders,
      positions: h.positions,
      holdings: h.holdings,
      funds: h.funds,
      profile: h.profile,
      searchInstruments: h.searchInstruments,
      orderUpdates: h.orderUpdates === false ? 'none' : h.orderUpdates,
      webhooks: acceptsWebhooks(h),
      instrumentMaster: h.instrumentMaster,
      fillsOnPlacement: h.fillsOnPlacement,
      marketHours: h.marketHours,
    },
    features: {
      orderTypes: [...m.features.orderTypes],
      validities: [...m.features.validities],
      products: [...m.features.products],
      segments: [...m.features.segments],
      modifyPrice: m.features.modify.price,
      modifyQuantity: m.features.modify.quantity,
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

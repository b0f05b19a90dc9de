import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What a broker plugin can do (one flag per client method)' })
export class BrokerCapabilities {
  @Field() placeOrder!: boolean;
  @Field() cancelOrder!: boolean;
  @Field() modifyOrder!: boolean;
  @Field() getOrder!: boolean;
  @Field() listOrders!: boolean;
  @Field() positions!: boolean;
  @Field() holdings!: boolean;
  @Field() funds!: boolean;
  @Field() profile!: boolean;
  @Field() searchInstruments!: boolean;
  @Field({ description: 'stream | webhook | poll | none' }) orderUpdates!: string;
  @Field({ description: 'The broker POSTs order updates to /api/webhook/brokers/<name>/postback' }) webhooks!: boolean;
  @Field({
    description: 'The plugin brings an instrument master that the api stores and resolves TradingView tickers against',
  })
  instrumentMaster!: boolean;
  @Field({ description: 'A simulated venue: MARKET orders fill when placed, at the alert price' })
  fillsOnPlacement!: boolean;
  @Field({
    description: 'A simulated venue that keeps exchange hours itself (orders outside them are refused or queued)',
  })
  marketHours!: boolean;
}

@ObjectType({ description: 'Which parameter values a broker plugin accepts' })
export class BrokerFeatures {
  @Field(() => [String]) orderTypes!: string[];
  @Field(() => [String]) validities!: string[];
  @Field(() => [String]) products!: string[];
  @Field(() => [String]) segments!: string[];
  @Field() modifyPrice!: boolean;
  @Field() modifyQuantity!: boolean;
  @Field() modifyTrigger!: boolean;
}

@ObjectType()
export class BrokerPluginInfo {
  @Field() name!: string;
  @Field() displayName!: string;
  @Field() version!: string;
  @Field(() => Int) contractVersion!: number;
  @Field(() => [String]) requiredCredentials!: string[];
  @Field(() => BrokerCapabilities) capabilities!: BrokerCapabilities;
  @Field(() => BrokerFeatures) features!: BrokerFeatures;
}

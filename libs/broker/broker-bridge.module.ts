import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NatsBridge } from './nats-bridge';
import { RabbitMqBridge } from './rabbitmq-bridge';

/** The outbox consumers that publish to external brokers: each one only where its broker is configured. */
@Module({})
export class BrokerBridgeModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers: Provider[] = [...(config.broker.rabbitmq ? [RabbitMqBridge] : []), ...(config.broker.nats ? [NatsBridge] : [])];
    return { module: BrokerBridgeModule, providers };
  }
}

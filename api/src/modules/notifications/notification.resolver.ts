import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { NotificationChannel } from './notification-channel.entity';
import {
  NotificationChannelInput,
  NotificationConnection,
  NotificationPreferencesInput,
  NotificationPreferenceView,
} from './notification.types';

@Authorized()
@Resolver()
export class NotificationResolver {
  @Query(() => [NotificationChannel])
  notificationChannels(@Ctx() ctx: GraphQLContext): Promise<NotificationChannel[]> {
    return ctx.services.notifications.settings.listChannels(ctx.em, ctx.user!);
  }

  @Query(() => [NotificationPreferenceView], {
    description: 'The default list (strategyId null) first, then per-strategy overrides',
  })
  notificationPreferences(@Ctx() ctx: GraphQLContext): Promise<NotificationPreferenceView[]> {
    return ctx.services.notifications.settings.preferences(ctx.em, ctx.user!);
  }

  @Query(() => NotificationConnection, { description: 'The delivery log, newest first' })
  notifications(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<NotificationConnection> {
    return ctx.services.notificationLog.list(ctx.em, ctx.user!, first ?? 50, after ?? undefined);
  }

  @Mutation(() => NotificationChannel, {
    description: 'Sends a 6-digit code through the channel; enter it with verifyNotificationChannel',
  })
  addNotificationChannel(
    @Arg('input') input: NotificationChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<NotificationChannel> {
    return ctx.services.notifications.settings.addChannel(ctx.em, ctx.user!, input);
  }

  @Mutation(() => NotificationChannel, {
    description: 'A wrong or expired code is BAD_USER_INPUT; five wrong codes end the code',
  })
  verifyNotificationChannel(
    @Arg('id', () => ID) id: string,
    @Arg('code') code: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<NotificationChannel> {
    return ctx.services.notifications.settings.verifyChannel(ctx.em, ctx.user!, id, code);
  }

  @Mutation(() => Boolean)
  removeNotificationChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.notifications.settings.removeChannel(ctx.em, ctx.user!, id);
  }

  @Mutation(() => [NotificationPreferenceView], {
    description: 'Replaces the list of one scope and returns all of them',
  })
  setNotificationPreferences(
    @Arg('input') input: NotificationPreferencesInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<NotificationPreferenceView[]> {
    return ctx.services.notifications.settings.setPreferences(ctx.em, ctx.user!, input);
  }

  @Mutation(() => [NotificationPreferenceView], {
    description: "Removes a strategy's own list, so the default list applies to it again; returns all of them",
  })
  removeNotificationPreferences(
    @Arg('strategyId', () => ID) strategyId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<NotificationPreferenceView[]> {
    return ctx.services.notifications.settings.removePreferences(ctx.em, ctx.user!, strategyId);
  }

  @Mutation(() => Boolean, {
    description: 'Queues a test message to a verified channel; see notifications for its status',
  })
  sendTestNotification(@Arg('channelId', () => ID) channelId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.notifications.settings.sendTest(ctx.em, ctx.user!, channelId);
  }
}

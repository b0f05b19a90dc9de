import { Arg, Authorized, Ctx, Extensions, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Report, ReportFilter } from './report.types';
import { RoundTripConnection } from './round-trip.types';

const DEFAULT_TRIP_PAGE = 50;

@Resolver()
export class ReportResolver {
  @Authorized()
  @Query(() => Report, {
    description:
      "How the closed round trips of your strategies did (admins: everyone's), filtered by IST days, strategy, symbol and mode",
  })
  report(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ReportFilter, { nullable: true }) filter?: ReportFilter,
  ): Promise<Report> {
    return ctx.services.reports.report(ctx.em, ctx.user!, filter ?? undefined);
  }

  @Authorized()
  @Extensions({ cost: { sizeArg: 'first', size: DEFAULT_TRIP_PAGE } })
  @Query(() => RoundTripConnection, {
    description: 'The closed round trips a report with this filter counts, newest first (first: 1..200, default 50)',
  })
  roundTrips(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ReportFilter, { nullable: true }) filter?: ReportFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<RoundTripConnection> {
    return ctx.services.reports.roundTrips(
      ctx.em,
      ctx.user!,
      filter ?? undefined,
      first ?? DEFAULT_TRIP_PAGE,
      after ?? undefined,
    );
  }
}

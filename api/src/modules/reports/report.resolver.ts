import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Report, ReportFilter } from './report.types';

@Resolver()
export class ReportResolver {
  @Authorized()
  @Query(() => Report, { description: 'How the closed round trips of your strategies did (admins: everyone\'s), filtered by IST days, strategy, symbol and mode' })
  report(@Ctx() ctx: GraphQLContext, @Arg('filter', () => ReportFilter, { nullable: true }) filter?: ReportFilter): Promise<Report> {
    return ctx.services.reports.report(ctx.em, ctx.user!, filter ?? undefined);
  }
}

import { Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ExecutionStatus, TradingMode } from '../../shared/enums';
import { Execution } from './execution.entity';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

@InputType()
export class ExecutionFilter {
  @Field(() => ID, { nullable: true }) strategyId?: string;
  @Field({ nullable: true }) symbol?: string;
  @Field(() => ExecutionStatus, { nullable: true }) status?: ExecutionStatus;
  @Field(() => TradingMode, { nullable: true }) mode?: TradingMode;

  @Field({ nullable: true, description: 'YYYY-MM-DD, IST, inclusive' })
  // strict: a date that does not exist (2026-02-30) is refused, not rolled over into March
  @IsOptional()
  @Matches(DAY, { message: 'from must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @Field({ nullable: true, description: 'YYYY-MM-DD, IST, inclusive' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;
}

@ObjectType()
export class ExecutionEdge {
  @Field() cursor!: string;
  @Field(() => Execution) node!: Execution;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class ExecutionConnection {
  // Priced per edge: the connection's `first` multiplies it (see graphql/limits.ts)
  @Extensions({ cost: { size: 1 } })
  @Field(() => [ExecutionEdge])
  edges!: ExecutionEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

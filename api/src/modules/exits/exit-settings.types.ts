import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';

const LEVEL = 'a percent of the fill price ("1.5%") or points ("20pts")';

// A strategy's default exits, as shown and edited ("1.5%", "20pts"); an alert's own fields override each one.
// The forms are checked by exits/exit-spec.ts (readExitDefaults) when the strategy is saved.
@ObjectType('ExitSettings')
export class ExitSettings {
  @Field(() => String, { nullable: true, description: `Stop loss below a long's fill (above a short's): ${LEVEL}` })
  stopLoss?: string | null;

  @Field(() => String, { nullable: true, description: `Target above a long's fill (below a short's): ${LEVEL}` })
  takeProfit?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The stop follows the best price by this distance, never backwards: ${LEVEL}`,
  })
  trailingStop?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Once the price has moved this far in profit the stop moves to the entry price: ${LEVEL}`,
  })
  breakevenAt?: string | null;

  @Field(() => Int, { nullable: true, description: 'Close the position this many minutes after the entry filled' })
  exitAfterMinutes?: number | null;
}

@InputType('ExitSettingsInput')
export class ExitSettingsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  stopLoss?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  takeProfit?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  trailingStop?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  breakevenAt?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  exitAfterMinutes?: number | null;
}

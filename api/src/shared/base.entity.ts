import { randomUUID } from 'node:crypto';
import { OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

// uuid ids are created in the process, so a row's id is known before the insert (needed for idempotency keys).
@ObjectType() // never referenced directly, so not emitted in the schema
// `Optional` names getters and defaulted fields that create() need not be given
export abstract class BaseEntity<Optional extends string = never> {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | Optional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

// Money and quantity columns: exact numeric in PostgreSQL, decimal strings in TypeScript.
// A fresh options object each time: MikroORM writes the column name into the object it is given.
export const money = <T extends object>(extra?: T) => ({ type: 'decimal', precision: 20, scale: 4, ...extra }) as const;

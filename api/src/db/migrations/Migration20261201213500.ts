import { Migration } from '@mikro-orm/migrations';

// Kept report figures (report_prefixes) are now renewed in the background, so built_at no longer says whether anyone
// still reads a scope: used_at does (touched at most every ten minutes by a report), and a scope unread for a week
// goes. Written by hand: report_prefixes has no entity.
export class Migration20261201213500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "report_prefixes" add column if not exists "used_at" timestamptz not null default now();`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "report_prefixes" drop column if exists "used_at";`);
  }
}

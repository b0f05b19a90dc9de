import { Migration } from '@mikro-orm/migrations';

// Issue 19 part 2: a position's turn across api processes. One statement takes the position's session advisory lock
// (waiting while another process holds it) and then reads the position: a plpgsql statement takes a fresh snapshot,
// so the read sees the fill the previous holder committed before it let go (a plain `select pg_advisory_lock(..),
// qty from positions` reads with the snapshot taken before the wait).
export class Migration20261201193000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function take_position_turn(p_key text, p_strategy uuid, p_symbol text, p_mode text)
  returns table (qty numeric, revision int) language plpgsql volatile as $$
begin
  perform pg_advisory_lock(hashtextextended(p_key, 0));
  return query select p.qty, p.revision from positions p where p.strategy_id = p_strategy and p.symbol = p_symbol and p.mode = p_mode;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists take_position_turn(text, uuid, text, text);');
  }
}

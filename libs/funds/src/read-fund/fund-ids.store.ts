import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Which funds there are: for the nightly budget run (every fund) and for setup (is this one loaded?). */
@Injectable()
export class FundIdsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every fund's id, in id order. */
  async all(): Promise<string[]> {
    const funds: { id: string }[] = await this.dataSource.query('SELECT id FROM funds ORDER BY id');
    return funds.map((f) => f.id);
  }

  /** The id of the fund with this slug, or undefined when no fund has it. */
  async idBySlug(slug: string): Promise<string | undefined> {
    const [exists] = await this.dataSource.query('SELECT id FROM funds WHERE slug = $1', [slug]);
    return exists?.id;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What setup (`npm run migrate`, and every start) does to the database itself: its migrations. */
@Injectable()
export class DatabaseSetup {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Runs the pending migrations, each in its own transaction; the names of those applied. */
  async migrate(): Promise<string[]> {
    const ran = await this.dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  }
}

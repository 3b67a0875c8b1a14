import { Module } from '@nestjs/common';
import { RecordsModule } from '../records/records.module';
import { AutoCloser } from './application/auto-closer';

/** Resolved incidents and fulfilled requests close by themselves after a configurable period. */
@Module({ imports: [RecordsModule], providers: [AutoCloser] })
export class AutoCloseModule {}

import { Module } from '@nestjs/common';
import { FreezesModule } from '../freezes/freezes.module';
import { ChangeWindowWriter } from './application/change-window-writer';
import { ChangeWindowsService } from './application/change-windows.service';
import { BlackoutWindowsController } from './http/blackout-windows.controller';
import { ChangeWindowsController } from './http/change-windows.controller';
import { ChangeWindowsRepository } from './persistence/change-windows.repository';

/**
 * Change windows (maintenance, blackout, freeze) and their occurrences. Exports the
 * service so that changes read the schedule (`scheduleBetween`) for conflict detection.
 */
@Module({
  imports: [FreezesModule],
  controllers: [ChangeWindowsController, BlackoutWindowsController],
  providers: [ChangeWindowsService, ChangeWindowsRepository, ChangeWindowWriter],
  exports: [ChangeWindowsService],
})
export class WindowsModule {}

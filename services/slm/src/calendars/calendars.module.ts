import { Module } from '@nestjs/common';
import { CalendarsService } from './application/calendars.service';
import { CalendarsController } from './http/calendars.controller';
import { CalendarsRepository } from './persistence/calendars.repository';

@Module({
  controllers: [CalendarsController],
  providers: [CalendarsService, CalendarsRepository],
  exports: [CalendarsRepository],
})
export class CalendarsModule {}

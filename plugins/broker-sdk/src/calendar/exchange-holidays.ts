// Exchange trading holidays (weekdays only; weekends are closed anyway), as data. Replace or extend a year's list
// when the exchanges publish their circulars; nothing else has to change.
//
// 2026: the NSE/BSE list as published (NSE circular of December 2025, plus the 15 January 2026 municipal election
// holiday in Maharashtra). 2027 is PROVISIONAL: the dates below follow the 2027 festival calendar and the fixed
// national holidays; the exchanges publish the 2027 list in December 2026. Diwali's Muhurat session (a one-hour
// evening session on Laxmi Pujan) is not modelled: that day is treated as the exchange treats it otherwise.

export type ExchangeHoliday = {
  /** IST calendar day, YYYY-MM-DD. */
  date: string;
  name: string;
  /** MCX only: `evening` = the morning session (09:00-17:00) is closed and the evening session (17:00-close) trades. */
  mcx: 'closed' | 'evening';
  /** The year's list is not yet the exchange's published one. */
  provisional?: true;
};

// NSE and BSE (equity, F&O and currency derivatives) are closed on every date here. MCX is closed all day on the
// national holidays and most Christian/secular ones, and trades its evening session on the others, as it usually
// announces them.
export const EXCHANGE_HOLIDAYS: readonly ExchangeHoliday[] = Object.freeze([
  { date: '2026-01-15', name: 'Municipal Corporation elections (Maharashtra)', mcx: 'evening' },
  { date: '2026-01-26', name: 'Republic Day', mcx: 'closed' },
  { date: '2026-03-03', name: 'Holi', mcx: 'evening' },
  { date: '2026-03-26', name: 'Shri Ram Navami', mcx: 'evening' },
  { date: '2026-03-31', name: 'Shri Mahavir Jayanti', mcx: 'evening' },
  { date: '2026-04-03', name: 'Good Friday', mcx: 'closed' },
  { date: '2026-04-14', name: 'Dr. Baba Saheb Ambedkar Jayanti', mcx: 'evening' },
  { date: '2026-05-01', name: 'Maharashtra Day', mcx: 'evening' },
  { date: '2026-05-28', name: 'Bakri Id', mcx: 'evening' },
  { date: '2026-06-26', name: 'Muharram', mcx: 'evening' },
  { date: '2026-09-14', name: 'Ganesh Chaturthi', mcx: 'evening' },
  { date: '2026-10-02', name: 'Mahatma Gandhi Jayanti', mcx: 'closed' },
  { date: '2026-10-20', name: 'Dussehra', mcx: 'evening' },
  { date: '2026-11-10', name: 'Diwali Balipratipada', mcx: 'evening' },
  { date: '2026-11-24', name: 'Prakash Gurpurb Sri Guru Nanak Dev', mcx: 'evening' },
  { date: '2026-12-25', name: 'Christmas', mcx: 'closed' },

  { date: '2027-01-26', name: 'Republic Day', mcx: 'closed', provisional: true },
  { date: '2027-03-10', name: 'Id-Ul-Fitr (Ramzan Id)', mcx: 'evening', provisional: true },
  { date: '2027-03-22', name: 'Holi', mcx: 'evening', provisional: true },
  { date: '2027-03-26', name: 'Good Friday', mcx: 'closed', provisional: true },
  { date: '2027-04-14', name: 'Dr. Baba Saheb Ambedkar Jayanti', mcx: 'evening', provisional: true },
  { date: '2027-04-15', name: 'Shri Ram Navami', mcx: 'evening', provisional: true },
  { date: '2027-05-17', name: 'Bakri Id', mcx: 'evening', provisional: true },
  { date: '2027-06-15', name: 'Muharram', mcx: 'evening', provisional: true },
  { date: '2027-10-29', name: 'Diwali Laxmi Pujan', mcx: 'evening', provisional: true },
] satisfies ExchangeHoliday[]);

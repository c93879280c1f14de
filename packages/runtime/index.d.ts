/** Figures a processing module may report, as in the original Pando's `report()`. */
export interface ReportFigures {
  /** Milliseconds of computation. */
  cpuTime?: number
  /** Milliseconds spent moving data. */
  dataTransferTime?: number
  /** Items this report stands for. @default 1 */
  nbItems?: number
  /** The application's unit, e.g. 'BigNums'. */
  units?: string
}
export declare const version: string
export declare function report(figures?: ReportFigures): void

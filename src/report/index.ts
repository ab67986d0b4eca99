/** Deployment reports: the markdown renderer and the file sink. */
export { renderReport } from './render-report';
export { FileReportSink, reportFileName } from './file-report-sink';
export { reportOnFinish, type ReportSink } from './report-writer';

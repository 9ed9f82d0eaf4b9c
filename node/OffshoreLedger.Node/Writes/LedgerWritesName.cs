// Transitional: Titles/TitleGrpcService.cs and Attestations/AttestationGrpcService.cs still call WriteSubmission by its
// old name, LedgerWrites (in Chain/ until issue 17). Delete this file once they say WriteSubmission.
global using LedgerWrites = OffshoreLedger.Node.Writes.WriteSubmission;

// A gRPC client of mcpcapd in C++: hold a capture, page through its DNS messages, and read an
// error's reason. Usage: mcpcap-example-client TARGET CAPTURE (TARGET: host:port or unix:/path).
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "mcpcap/v1/captures.grpc.pb.h"

namespace {

// The ErrorInfo reason of a failed call, from its google.rpc.Status details.
std::string ErrorReason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " TARGET CAPTURE\n";
    return 2;
  }
  auto channel = grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials());
  auto captures = mcpcap::v1::CaptureService::NewStub(channel);
  auto analyses = mcpcap::v1::CaptureAnalysisService::NewStub(channel);

  // Check the capture once; analyses then name exactly these bytes.
  mcpcap::v1::CreateCaptureRequest create;
  create.set_path(argv[2]);
  mcpcap::v1::CreateCaptureResponse created;
  grpc::ClientContext create_ctx;
  grpc::Status status = captures->CreateCapture(&create_ctx, create, &created);
  if (!status.ok()) {
    std::cerr << status.error_message() << " (" << ErrorReason(status) << ")\n";
    return 1;
  }
  const mcpcap::v1::Capture& capture = created.capture();
  std::cout << "capture " << capture.name() << " sha256=" << capture.sha256().substr(0, 16)
            << "... size=" << capture.size_bytes() << "\n";

  // Statistics and a first page of 5 messages, then the rest page by page.
  mcpcap::v1::AnalyzeDnsPacketsRequest request;
  request.set_capture(capture.name());
  request.mutable_options()->set_max_results(5);
  mcpcap::v1::AnalyzeDnsPacketsResponse result;
  int listed = 0;
  for (;;) {
    grpc::ClientContext ctx;
    status = analyses->AnalyzeDnsPackets(&ctx, request, &result);
    if (!status.ok()) {
      std::cerr << status.error_message() << "\n";
      return 1;
    }
    for (const mcpcap::v1::DnsPacket& packet : result.packets()) {
      ++listed;
      std::cout << "  #" << packet.packet_number() << " "
                << google::protobuf::util::TimeUtil::ToString(packet.timestamp()) << " "
                << packet.source().ip() << " " << mcpcap::v1::DnsVariant_Name(packet.variant())
                << " " << packet.summary() << "\n";
    }
    std::string token;
    for (const mcpcap::v1::ListingPage& page : result.capture().partial_listings()) {
      if (page.listing() == "packets") token = page.next_page_token();
    }
    if (token.empty()) break;
    request.mutable_options()->set_page_token(token);
  }
  std::cout << "queries=" << result.statistics().queries() << " listed=" << listed << "\n";

  // Errors carry a reason to branch on.
  mcpcap::v1::AnalyzeDnsPacketsRequest missing;
  missing.set_pcap_file("/no/such.pcap");
  grpc::ClientContext ctx;
  status = analyses->AnalyzeDnsPackets(&ctx, missing, &result);
  std::cout << "error " << (status.error_code() == grpc::StatusCode::NOT_FOUND ? "NOT_FOUND" : "?")
            << " " << ErrorReason(status) << "\n";
  return 0;
}

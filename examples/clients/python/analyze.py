#!/usr/bin/env python3
"""A gRPC client of mcpcapd in Python: hold a capture, page through its DNS messages, and read
an error's reason. Usage: analyze.py TARGET CAPTURE (TARGET: host:port or unix:/path).

The modules come from the contract (see examples/clients/README.md):
  protoc -I proto -I /usr/share/gocode/src/github.com/gogo/googleapis \
    --python_out=OUT --grpc_out=OUT --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
    proto/mcpcap/v1/*.proto google/rpc/status.proto google/rpc/error_details.proto
"""
import sys

import grpc
from google.rpc import error_details_pb2, status_pb2
from mcpcap.v1 import analysis_pb2_grpc, capture_pb2, captures_pb2, captures_pb2_grpc, dns_pb2


def error_reason(error: grpc.RpcError) -> str:
    """The ErrorInfo reason of a failed call, from its google.rpc.Status details."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info.reason
    return ""


def main(target: str, path: str) -> None:
    channel = grpc.insecure_channel(target)
    captures = captures_pb2_grpc.CaptureServiceStub(channel)
    analyses = analysis_pb2_grpc.CaptureAnalysisServiceStub(channel)

    # Check the capture once; analyses then name exactly these bytes.
    capture = captures.CreateCapture(captures_pb2.CreateCaptureRequest(path=path)).capture
    print(f"capture {capture.name} sha256={capture.sha256[:16]}... size={capture.size_bytes}")

    # Statistics and a first page of 5 messages, then the rest page by page.
    request = dns_pb2.AnalyzeDnsPacketsRequest(
        capture=capture.name, options=capture_pb2.CaptureOptions(max_results=5))
    listed = 0
    while True:
        result = analyses.AnalyzeDnsPackets(request, timeout=30)
        for packet in result.packets:
            listed += 1
            when = packet.timestamp.ToDatetime().isoformat()
            print(f"  #{packet.packet_number} {when} {packet.source.ip} "
                  f"{dns_pb2.DnsVariant.Name(packet.variant)} {packet.summary}")
        pages = {p.listing: p for p in result.capture.partial_listings}
        token = pages["packets"].next_page_token if "packets" in pages else ""
        if not token:
            break
        request.options.page_token = token
    print(f"queries={result.statistics.queries} listed={listed}")

    # Errors carry a reason to branch on.
    try:
        analyses.AnalyzeDnsPackets(dns_pb2.AnalyzeDnsPacketsRequest(pcap_file="/no/such.pcap"))
    except grpc.RpcError as error:
        print(f"error {error.code().name} {error_reason(error)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

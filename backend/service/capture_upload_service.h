// CaptureUpload.UploadCapture: a caller streams a capture's bytes and gets back a short-lived
// upload:// handle that every analysis accepts as pcap_file. A separate service from
// CaptureAnalysis so that the MCP gateway, which lists that one as tools, never offers it.
#ifndef MCPCAP_BACKEND_SERVICE_CAPTURE_UPLOAD_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_CAPTURE_UPLOAD_SERVICE_H_

#include "backend/source/upload_store.h"
#include "mcpcap/v1/mcpcap.grpc.pb.h"

namespace mcpcap {

class CaptureUploadService final : public v1::CaptureUpload::CallbackService {
 public:
  explicit CaptureUploadService(UploadStore* store) : store_(store) {}

  grpc::ServerReadReactor<v1::CaptureChunk>* UploadCapture(grpc::CallbackServerContext* ctx,
                                                           v1::UploadedCapture* response) override;

 private:
  UploadStore* store_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_CAPTURE_UPLOAD_SERVICE_H_

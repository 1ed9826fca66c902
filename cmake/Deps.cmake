# Every dependency comes from a Debian 12 package (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)            # FindProtobuf module
find_package(gRPC CONFIG REQUIRED)         # gRPC 1.51 ships a CMake config
find_package(absl CONFIG REQUIRED)         # Abseil 20220623
find_package(nlohmann_json 3.11 REQUIRED)
find_package(OpenSSL REQUIRED)             # SHA-1/SHA-256/RIPEMD-160 of capture files
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
find_package(ZLIB REQUIRED)                # gzip-compressed captures

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

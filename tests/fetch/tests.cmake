# Download, unpack and fetch tests. Network cases talk only to
# tests/fetch/http_server.py on 127.0.0.1; libarchive builds the test archives.
greenbench_test(test_fetch
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fetch/test_fetch.cpp
  LIBS greenbench_data LibArchive::LibArchive)

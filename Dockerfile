# greenbench in a container: the same install script and build as CI and the
# README, then `make bench` with results written to the mounted /results.
#   docker build -t greenbench .
#   docker run --rm -v "$PWD/results:/greenbench/results" -v /path/to/data:/data greenbench
FROM debian:bookworm
WORKDIR /greenbench
COPY . .
RUN bash scripts/install-deps.sh && make build
ENV GREENBENCH_DATA=/data
VOLUME ["/greenbench/results", "/data"]
CMD ["make", "bench"]

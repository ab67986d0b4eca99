# syntax=docker/dockerfile:1
#
# A derived image with your service catalogue baked in, so the config is reviewed and
# versioned like code and a task always starts with the config it was tested with.
#   docker build -t ecs-chatops:0.1.0 .
#   docker build -f deploy/config.Dockerfile \
#     --build-arg BASE_IMAGE=ecs-chatops:0.1.0 --build-arg CONFIG=ecs-chatops.yml \
#     -t ecs-chatops-config:0.1.0 .
ARG BASE_IMAGE=ecs-chatops:latest
FROM ${BASE_IMAGE}
ARG CONFIG=ecs-chatops.yml
# Readable by the bot, not writable by it.
COPY --chown=root:root --chmod=0644 ${CONFIG} /etc/ecs-chatops/ecs-chatops.yml
ENV ECS_CHATOPS_CONFIG=/etc/ecs-chatops/ecs-chatops.yml

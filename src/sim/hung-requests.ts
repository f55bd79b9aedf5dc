import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Requests the simulator decided never to answer; hung up on after a delay, or when it stops. */
export class HungRequests {
  private readonly sockets = new Map<Socket, NodeJS.Timeout | undefined>();

  /** Take the socket away from Fastify and answer nothing; destroy it after `afterMs` (0: never). */
  hang(request: FastifyRequest, reply: FastifyReply, afterMs: number): void {
    reply.hijack();
    const socket = request.raw.socket;
    const timer = afterMs > 0 ? setTimeout(() => socket.destroy(), afterMs) : undefined;
    this.sockets.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(this.sockets.get(socket));
      this.sockets.delete(socket);
    });
  }

  /** Hang up on every held request. */
  releaseAll(): void {
    for (const [socket, timer] of this.sockets) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.sockets.clear();
  }
}

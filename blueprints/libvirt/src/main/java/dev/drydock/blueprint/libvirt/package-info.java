/**
 * The {@code libvirt-host} blueprint's parts (DESIGN §10): its configuration and checks
 * ({@link dev.drydock.blueprint.libvirt.LibvirtConfig}), the names of what a resource makes on a
 * hypervisor, the domain and volume XML, the cloud-init NoCloud seed and the ISO 9660 image that
 * carries it, the VM's generated host key, placement across hypervisors, and a thin wrapper over
 * libvirt-java's connection.
 */
package dev.drydock.blueprint.libvirt;

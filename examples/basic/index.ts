// One Vobiz SIP credential. Configure once:
//   pulumi config set vobiz:authId MA_XXXXXXXX
//   pulumi config set --secret vobiz:authToken <token>
//   pulumi config set --secret sipPassword <password of at least 8 characters>
import * as pulumi from "@pulumi/pulumi";
import { VobizCredential } from "pulumi-vobiz";

const config = new pulumi.Config();

const desk = new VobizCredential("front-desk", {
  username: config.get("username") ?? "office_desk",
  password: config.requireSecret("sipPassword"),
  description: "Front desk phone",
});

/** The SIP username and the digest realm a device registers with. */
export const username = desk.username;
export const realm = desk.realm;
export const credentialId = desk.id;
/** Whether the credential can authenticate (not set above, so Vobiz's default: true). */
export const enabled = desk.enabled;
